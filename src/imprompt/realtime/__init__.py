"""socket.io adapter: validate each event, turn it into a command, answer through the ack."""
