"""HTTP plumbing shared by the routes: the platform gateway (token, API key, org, sandbox, Content-Type
checks), the middleware that applies test faults and logs requests, JSON request/response helpers."""
