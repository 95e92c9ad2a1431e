"""Conformance: the official rules' own unit tests and examples, against the engine and the independent
oracle. A cross-cutting suite, of no one package of app/."""
