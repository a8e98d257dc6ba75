"""Demo tenants and realistic synthetic trade documents."""
