"""Demo backend (a simulated city) and, later, the NATS gateway. No Qt."""
