"""Small closed word lists the planner interprets instead of drawing, one module a concern."""
