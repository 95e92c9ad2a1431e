"""nordubl: officially valid UBL documents (EHF, Peppol BIS, OIOUBL) from sign-up and webshop orders."""

__version__ = "0.1.0"
