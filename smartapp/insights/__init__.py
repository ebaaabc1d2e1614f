"""What the organisation's decisions say: statistics and charts for coding managers, learning from
decisions (ranking feedback), and the HCC view of an encounter and its patient's year."""
