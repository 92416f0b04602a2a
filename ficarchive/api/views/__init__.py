"""The JSON API's views, one module per area."""
