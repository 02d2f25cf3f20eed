"""Economics and carbon footprint of a refining campaign."""
