"""The matrix: sellers × customers × documents × languages, from the form to the XML, the PDF and the mail.
A cross-cutting suite, of no one package of app/."""
