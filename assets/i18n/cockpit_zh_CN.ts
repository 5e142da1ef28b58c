<?xml version="1.0" encoding="utf-8"?>
<!DOCTYPE TS>
<TS version="2.1" language="zh_CN" sourcelanguage="en">
<context>
    <name>ConnectionStatusWidget</name>
    <message>
        <location filename="../../widgets/status_bar.py" line="30"/>
        <location filename="../../widgets/status_bar.py" line="32"/>
        <source>{n} s</source>
        <translation>{n} 秒</translation>
    </message>
    <message>
        <location filename="../../widgets/status_bar.py" line="34"/>
        <source>{n} min</source>
        <translation>{n} 分钟</translation>
    </message>
    <message>
        <location filename="../../widgets/status_bar.py" line="35"/>
        <source>{n} h</source>
        <translation>{n} 小时</translation>
    </message>
    <message>
        <location filename="../../widgets/status_bar.py" line="80"/>
        <source>no data</source>
        <translation>无数据</translation>
    </message>
    <message>
        <location filename="../../widgets/status_bar.py" line="81"/>
        <source>data {age} old</source>
        <translation>数据延迟 {age}</translation>
    </message>
</context>
<context>
    <name>DispatchPanel</name>
    <message>
        <location filename="../../widgets/dispatch_button.py" line="60"/>
        <source>Selected event</source>
        <translation>选中事件</translation>
    </message>
    <message>
        <location filename="../../widgets/dispatch_button.py" line="99"/>
        <source>No event selected</source>
        <translation>未选择事件</translation>
    </message>
    <message>
        <location filename="../../widgets/dispatch_button.py" line="102"/>
        <source>Send {unit} →</source>
        <translation>派遣 {unit} →</translation>
    </message>
    <message>
        <location filename="../../widgets/dispatch_button.py" line="104"/>
        <source>No unit recommended</source>
        <translation>无推荐力量</translation>
    </message>
</context>
<context>
    <name>EventListView</name>
    <message>
        <location filename="../../widgets/event_list.py" line="102"/>
        <source>Level</source>
        <translation>等级</translation>
    </message>
    <message>
        <location filename="../../widgets/event_list.py" line="104"/>
        <source>Time</source>
        <translation>时间</translation>
    </message>
    <message>
        <location filename="../../widgets/event_list.py" line="106"/>
        <source>Event</source>
        <translation>事件</translation>
    </message>
    <message>
        <location filename="../../widgets/event_list.py" line="108"/>
        <source>District</source>
        <translation>辖区</translation>
    </message>
    <message>
        <location filename="../../widgets/event_list.py" line="110"/>
        <source>State</source>
        <translation>状态</translation>
    </message>
    <message>
        <location filename="../../widgets/event_list.py" line="112"/>
        <source>Ack</source>
        <translation>确认</translation>
    </message>
    <message>
        <location filename="../../widgets/event_list.py" line="113"/>
        <source>Dispatch</source>
        <translation>调度</translation>
    </message>
    <message>
        <location filename="../../widgets/event_list.py" line="118"/>
        <source>Ack&apos;d</source>
        <translation>已确认</translation>
    </message>
    <message>
        <location filename="../../widgets/event_list.py" line="119"/>
        <source>NEW</source>
        <translation>未确认</translation>
    </message>
    <message>
        <location filename="../../widgets/event_list.py" line="403"/>
        <source>No active events</source>
        <translation>暂无未结事件</translation>
    </message>
</context>
<context>
    <name>Names</name>
    <message>
        <location filename="../../cockpit/app/names.py" line="14"/>
        <source>Yuzhong</source>
        <translation>渝中</translation>
    </message>
    <message>
        <location filename="../../cockpit/app/names.py" line="15"/>
        <source>Jiangbei</source>
        <translation>江北</translation>
    </message>
    <message>
        <location filename="../../cockpit/app/names.py" line="16"/>
        <source>Nan&apos;an</source>
        <translation>南岸</translation>
    </message>
    <message>
        <location filename="../../cockpit/app/names.py" line="17"/>
        <source>Shapingba</source>
        <translation>沙坪坝</translation>
    </message>
    <message>
        <location filename="../../cockpit/app/names.py" line="20"/>
        <source>Waterlogging</source>
        <translation>内涝积水</translation>
    </message>
    <message>
        <location filename="../../cockpit/app/names.py" line="21"/>
        <source>Rainstorm</source>
        <translation>暴雨</translation>
    </message>
    <message>
        <location filename="../../cockpit/app/names.py" line="22"/>
        <source>Traffic jam</source>
        <translation>交通拥堵</translation>
    </message>
    <message>
        <location filename="../../cockpit/app/names.py" line="23"/>
        <source>Water-main burst</source>
        <translation>供水爆管</translation>
    </message>
    <message>
        <location filename="../../cockpit/app/names.py" line="24"/>
        <source>Fire alarm</source>
        <translation>火警</translation>
    </message>
    <message>
        <location filename="../../cockpit/app/names.py" line="25"/>
        <source>Noise complaint (12345)</source>
        <translation>噪声投诉（12345）</translation>
    </message>
    <message>
        <location filename="../../cockpit/app/names.py" line="26"/>
        <source>River railing damaged</source>
        <translation>河道护栏损坏</translation>
    </message>
    <message>
        <location filename="../../cockpit/app/names.py" line="27"/>
        <source>Waste truck shedding soil</source>
        <translation>渣土车抛洒</translation>
    </message>
    <message>
        <location filename="../../cockpit/app/names.py" line="28"/>
        <source>Traffic accident</source>
        <translation>交通事故</translation>
    </message>
    <message>
        <location filename="../../cockpit/app/names.py" line="29"/>
        <source>Illegal parking</source>
        <translation>违法停车</translation>
    </message>
    <message>
        <location filename="../../cockpit/app/names.py" line="32"/>
        <source>Water level</source>
        <translation>水位</translation>
    </message>
    <message>
        <location filename="../../cockpit/app/names.py" line="33"/>
        <source>Rainfall</source>
        <translation>雨量</translation>
    </message>
    <message>
        <location filename="../../cockpit/app/names.py" line="34"/>
        <source>Road speed</source>
        <translation>道路车速</translation>
    </message>
    <message>
        <location filename="../../cockpit/app/names.py" line="35"/>
        <source>Pipe pressure</source>
        <translation>管网压力</translation>
    </message>
    <message>
        <location filename="../../cockpit/app/names.py" line="36"/>
        <source>Fire terminal</source>
        <translation>消防终端</translation>
    </message>
    <message>
        <location filename="../../cockpit/app/names.py" line="39"/>
        <source>Drainage crew</source>
        <translation>排水抢险队</translation>
    </message>
    <message>
        <location filename="../../cockpit/app/names.py" line="40"/>
        <source>Traffic police</source>
        <translation>交警</translation>
    </message>
    <message>
        <location filename="../../cockpit/app/names.py" line="41"/>
        <source>Fire engine</source>
        <translation>消防车</translation>
    </message>
    <message>
        <location filename="../../cockpit/app/names.py" line="42"/>
        <source>Forest fire crew</source>
        <translation>森林消防队</translation>
    </message>
    <message>
        <location filename="../../cockpit/app/names.py" line="43"/>
        <source>Water repair crew</source>
        <translation>供水抢修队</translation>
    </message>
    <message>
        <location filename="../../cockpit/app/names.py" line="44"/>
        <source>Enforcement team</source>
        <translation>执法队</translation>
    </message>
    <message>
        <location filename="../../cockpit/app/names.py" line="45"/>
        <source>Grid worker</source>
        <translation>网格员</translation>
    </message>
    <message>
        <location filename="../../cockpit/app/names.py" line="71"/>
        <source>{kind} {number} ({district})</source>
        <translation>{district}{kind} {number}</translation>
    </message>
    <message>
        <location filename="../../cockpit/app/names.py" line="85"/>
        <source>msgs {m} · malformed {bad} · gaps {gaps} · reconnects {rc}</source>
        <translation>消息 {m} · 错误 {bad} · 缺失 {gaps} · 重连 {rc}</translation>
    </message>
</context>
<context>
    <name>Severity</name>
    <message>
        <location filename="../../widgets/severity.py" line="69"/>
        <source>Red</source>
        <translation>红色</translation>
    </message>
    <message>
        <location filename="../../widgets/severity.py" line="71"/>
        <source>Orange</source>
        <translation>橙色</translation>
    </message>
    <message>
        <location filename="../../widgets/severity.py" line="73"/>
        <source>Yellow</source>
        <translation>黄色</translation>
    </message>
    <message>
        <location filename="../../widgets/severity.py" line="74"/>
        <source>Blue</source>
        <translation>蓝色</translation>
    </message>
</context>
<context>
    <name>VitalSignTile</name>
    <message>
        <location filename="../../widgets/vital_tile.py" line="90"/>
        <location filename="../../widgets/vital_tile.py" line="92"/>
        <source>{n} s</source>
        <translation>{n} 秒</translation>
    </message>
    <message>
        <location filename="../../widgets/vital_tile.py" line="94"/>
        <source>{n} min</source>
        <translation>{n} 分钟</translation>
    </message>
    <message>
        <location filename="../../widgets/vital_tile.py" line="95"/>
        <source>{n} h</source>
        <translation>{n} 小时</translation>
    </message>
    <message>
        <location filename="../../widgets/vital_tile.py" line="206"/>
        <source>LOW ALARM</source>
        <translation>低值告警</translation>
    </message>
    <message>
        <location filename="../../widgets/vital_tile.py" line="207"/>
        <source>HIGH ALARM</source>
        <translation>高值告警</translation>
    </message>
    <message>
        <location filename="../../widgets/vital_tile.py" line="210"/>
        <source>LOW WARNING</source>
        <translation>低值预警</translation>
    </message>
    <message>
        <location filename="../../widgets/vital_tile.py" line="211"/>
        <source>HIGH WARNING</source>
        <translation>高值预警</translation>
    </message>
    <message>
        <location filename="../../widgets/vital_tile.py" line="213"/>
        <source>STALE {age}</source>
        <translation>数据过期 {age}</translation>
    </message>
    <message>
        <location filename="../../widgets/vital_tile.py" line="217"/>
        <source>NO DATA</source>
        <translation>无数据</translation>
    </message>
</context>
<context>
    <name>WallPresenter</name>
    <message>
        <location filename="../../cockpit/app/presenter.py" line="53"/>
        <source>Connecting</source>
        <translation>正在连接</translation>
    </message>
    <message>
        <location filename="../../cockpit/app/presenter.py" line="54"/>
        <source>Resynchronising</source>
        <translation>正在重新同步</translation>
    </message>
    <message>
        <location filename="../../cockpit/app/presenter.py" line="55"/>
        <source>Live</source>
        <translation>实时</translation>
    </message>
    <message>
        <location filename="../../cockpit/app/presenter.py" line="56"/>
        <source>Stale: no data</source>
        <translation>数据过期：无新数据</translation>
    </message>
    <message>
        <location filename="../../cockpit/app/presenter.py" line="57"/>
        <source>Offline</source>
        <translation>离线</translation>
    </message>
    <message>
        <location filename="../../cockpit/app/presenter.py" line="63"/>
        <source>New</source>
        <translation>新建</translation>
    </message>
    <message>
        <location filename="../../cockpit/app/presenter.py" line="64"/>
        <source>Acknowledged</source>
        <translation>已确认</translation>
    </message>
    <message>
        <location filename="../../cockpit/app/presenter.py" line="65"/>
        <location filename="../../cockpit/app/presenter.py" line="74"/>
        <source>Dispatched</source>
        <translation>已调度</translation>
    </message>
    <message>
        <location filename="../../cockpit/app/presenter.py" line="66"/>
        <source>Resolved</source>
        <translation>已处置</translation>
    </message>
    <message>
        <location filename="../../cockpit/app/presenter.py" line="67"/>
        <source>Closed</source>
        <translation>已结案</translation>
    </message>
    <message>
        <location filename="../../cockpit/app/presenter.py" line="73"/>
        <source>Accepted</source>
        <translation>已受理</translation>
    </message>
    <message>
        <location filename="../../cockpit/app/presenter.py" line="75"/>
        <source>Unit acknowledged</source>
        <translation>力量已确认</translation>
    </message>
    <message>
        <location filename="../../cockpit/app/presenter.py" line="76"/>
        <source>En route</source>
        <translation>赶赴途中</translation>
    </message>
    <message>
        <location filename="../../cockpit/app/presenter.py" line="77"/>
        <source>On scene</source>
        <translation>已到场</translation>
    </message>
    <message>
        <location filename="../../cockpit/app/presenter.py" line="78"/>
        <source>Completed</source>
        <translation>已完成</translation>
    </message>
    <message>
        <location filename="../../cockpit/app/presenter.py" line="79"/>
        <source>Failed</source>
        <translation>执行失败</translation>
    </message>
    <message>
        <location filename="../../cockpit/app/presenter.py" line="80"/>
        <source>Cancelled</source>
        <translation>已取消</translation>
    </message>
    <message>
        <location filename="../../cockpit/app/presenter.py" line="201"/>
        <source>Live events ({n} open)</source>
        <translation>实时事件（{n} 起未结）</translation>
    </message>
    <message>
        <location filename="../../cockpit/app/presenter.py" line="219"/>
        <source>No event selected</source>
        <translation>未选择事件</translation>
    </message>
    <message>
        <location filename="../../cockpit/app/presenter.py" line="225"/>
        <source>No recommended unit available</source>
        <translation>无可用推荐力量</translation>
    </message>
    <message>
        <location filename="../../cockpit/app/presenter.py" line="235"/>
        <source>Ready</source>
        <translation>就绪</translation>
    </message>
    <message>
        <location filename="../../cockpit/app/presenter.py" line="239"/>
        <source>{unit}: queued, link down; sends when it is back</source>
        <translation>{unit}：链路中断，已排队，恢复后发送</translation>
    </message>
    <message>
        <location filename="../../cockpit/app/presenter.py" line="243"/>
        <source>{unit}: sent, waiting for answer (try {n})</source>
        <translation>{unit}：已发送，等待回应（第 {n} 次）</translation>
    </message>
    <message>
        <location filename="../../cockpit/app/presenter.py" line="247"/>
        <source>{unit}: no response after {n} tries</source>
        <translation>{unit}：{n} 次尝试均无响应</translation>
    </message>
    <message>
        <location filename="../../cockpit/app/presenter.py" line="249"/>
        <source>{unit}: rejected ({reason})</source>
        <translation>{unit}：被拒绝（{reason}）</translation>
    </message>
    <message>
        <location filename="../../cockpit/app/presenter.py" line="256"/>
        <source>{unit}: {state}</source>
        <translation>{unit}：{state}</translation>
    </message>
    <message>
        <location filename="../../cockpit/app/presenter.py" line="277"/>
        <source>No sensor</source>
        <translation>无传感器</translation>
    </message>
</context>
<context>
    <name>WallWindow</name>
    <message>
        <location filename="../../cockpit/app/wall_window.py" line="90"/>
        <source>City operations · Overview</source>
        <translation>城市运行 · 总览</translation>
    </message>
    <message>
        <location filename="../../cockpit/app/wall_window.py" line="91"/>
        <source>Cockpit · {name}</source>
        <translation>驾驶舱 · {name}</translation>
    </message>
    <message>
        <location filename="../../cockpit/app/wall_window.py" line="92"/>
        <source>Live events</source>
        <translation>实时事件</translation>
    </message>
    <message>
        <location filename="../../cockpit/app/wall_window.py" line="93"/>
        <source>Vital signs</source>
        <translation>生命体征</translation>
    </message>
</context>
</TS>
