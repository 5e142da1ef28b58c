"""A frame with a string that is not UTF-8 is still recorded (found by fuzzing): never lost."""

from cockpit.record.channels import split_frame


def test_a_frame_with_bad_text_goes_to_the_control_channel_whole() -> None:
    frame = b"\x91\x82\xa1t\xa5event\xa6stream\xa1\xff"
    runs = split_frame(frame)
    assert [(r.topic, r.data) for r in runs] == [("/feed/control", frame)]
