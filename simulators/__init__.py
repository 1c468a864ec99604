"""Local stand-ins for the outside services Blue Lamp calls, each run as its own process."""
