"""The one access policy, the access log (NEN 7513) and the crypto for identities."""
