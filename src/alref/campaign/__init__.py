"""Campaign layer: a pot's whole cycle (protocol, simulation, solution)."""
