"""Entry points of the hil-os processes."""
