"""The package as it is shipped and set up: the wheel, the deployment files and the README's commands. A
cross-cutting suite, of no one package of app/."""
