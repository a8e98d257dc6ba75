"""Logistics: the network of places and legs (data), the distances, transit times, costs and
emissions of a shipment over it, and the planner that finds its routes.

The pure core — no web, no database. Emissions follow ISO 14083:2023 and the GLEC Framework:
a leg's well-to-wheel CO2e is the shipment's mass times the leg's distance times the mode's
intensity, plus what the hubs it passes through emit per tonne handled; every figure comes
from a dated data file that names its source.
"""
