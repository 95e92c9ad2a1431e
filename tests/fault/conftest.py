"""Faults injected across the running service: killed processes, hostile requests, concurrent sign-ins,
stress. A cross-cutting suite, of no one package of app/."""
