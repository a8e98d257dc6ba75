"""Analytics for data-driven selling: market figures, customer value, demand and stock."""
