"""Byte goldens, across the packages that make a document: every order and invoice form becomes a document
equal (after C14N) to its file under fixtures/expected/. A cross-cutting suite, of no one package of app/."""
