"""Blue Lamp: the online front counter for police forces in England and Wales."""
