"""The api app has no models of its own: personal access tokens (ApiToken) live in
accounts (migrated there with their table, api_apitoken, unchanged)."""
