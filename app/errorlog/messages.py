"""The error log's messages in English, Norwegian bokmål and Danish, keyed by code (source 003: the shop
owner gets a message they can usually act on themselves).

Each entry is ``(message, hint)`` with ``{placeholders}`` filled from the finding's parameters. A code not
in the catalogue (an official rule id, an ``input.*`` code) keeps its original message; its hint is the
original one, or a generic one in the account's language.
"""

from __future__ import annotations

import string
from typing import Literal

Language = Literal["en", "nb", "da"]
LANGUAGES: tuple[Language, ...] = ("en", "nb", "da")

#: fees[].kind in each language
FEE_NAMES: dict[Language, dict[str, str]] = {
    "en": {"freight": "freight", "payment": "payment fee", "card": "card fee", "other": "fee"},
    "nb": {"freight": "frakt", "payment": "betalingsgebyr", "card": "kortgebyr", "other": "gebyr"},
    "da": {"freight": "fragt", "payment": "betalingsgebyr", "card": "kortgebyr", "other": "gebyr"},
}

MESSAGES: dict[str, dict[Language, tuple[str, str]]] = {
    # source 003: "products that do not exist in the ERP"
    "product.unknown": {
        "en": (
            "Product {product_number} ({name}) is not in the catalogue: the ERP does not know it, so it "
            "cannot be put on the order.",
            "Create the product in the ERP and add it to the catalogue (PUT /v1/catalogue/products or "
            "nordubl catalogue import), then send the order again.",
        ),
        "nb": (
            "Produktet {product_number} ({name}) finnes ikke i produktkatalogen: regnskapssystemet kjenner "
            "det ikke, så det kan ikke føres på ordren.",
            "Opprett produktet i regnskapssystemet og legg det inn i katalogen (PUT /v1/catalogue/products "
            "eller nordubl catalogue import), og send ordren på nytt.",
        ),
        "da": (
            "Varen {product_number} ({name}) findes ikke i varekataloget: økonomisystemet kender den ikke, "
            "så den kan ikke komme med på ordren.",
            "Opret varen i økonomisystemet og tilføj den til kataloget (PUT /v1/catalogue/products eller "
            "nordubl catalogue import), og send ordren igen.",
        ),
    },
    # source 003: "deactivated products bought via search engines"
    "product.inactive": {
        "en": (
            "Product {product_number} ({name}) is deactivated, yet it was bought (often through an old "
            "search-engine link).",
            "Reactivate the product in the catalogue if it is still sold, or cancel and refund the order; "
            "then send it again.",
        ),
        "nb": (
            "Produktet {product_number} ({name}) er deaktivert, men ble likevel kjøpt (ofte via en gammel "
            "lenke fra en søkemotor).",
            "Aktiver produktet i katalogen igjen hvis det fortsatt selges, eller kanseller og refunder "
            "ordren; send den deretter på nytt.",
        ),
        "da": (
            "Varen {product_number} ({name}) er deaktiveret, men blev alligevel købt (ofte via et gammelt "
            "link fra en søgemaskine).",
            "Genaktivér varen i kataloget, hvis den stadig sælges, eller annullér og refundér ordren; send "
            "den derefter igen.",
        ),
    },
    "product.vat_mismatch": {
        "en": (
            "Product {product_number} is sold at {form_rate} % VAT in the shop, but the catalogue says "
            "{catalogue_rate} %.",
            "Correct the VAT rate in the shop or in the catalogue so that they agree, then send the order "
            "again.",
        ),
        "nb": (
            "Produktet {product_number} selges med {form_rate} % mva. i nettbutikken, men katalogen sier "
            "{catalogue_rate} %.",
            "Rett mva.-satsen i nettbutikken eller i katalogen så de stemmer overens, og send ordren på nytt.",
        ),
        "da": (
            "Varen {product_number} sælges med {form_rate} % moms i webshoppen, men kataloget siger "
            "{catalogue_rate} %.",
            "Ret momssatsen i webshoppen eller i kataloget, så de stemmer overens, og send ordren igen.",
        ),
    },
    # source 003: fees "not defined as products … the fee goes missing"
    "fee.unmapped": {
        "en": (
            "The {fee} of {amount} {currency} is not mapped to an ERP item or a charge code, so it would go "
            "missing from the invoice.",
            "Map the fee kind '{kind}' to an ERP item or a charge code (PUT /v1/catalogue/fees), then send "
            "the order again.",
        ),
        "nb": (
            "Gebyret «{fee}» på {amount} {currency} er ikke koblet til et produkt eller en gebyrkode, så det "
            "ville falt bort fra fakturaen.",
            "Koble gebyrtypen «{kind}» til et produkt i regnskapssystemet eller en gebyrkode "
            "(PUT /v1/catalogue/fees), og send ordren på nytt.",
        ),
        "da": (
            "Gebyret »{fee}« på {amount} {currency} er ikke koblet til en vare eller en gebyrkode, så det "
            "ville mangle på fakturaen.",
            "Kobl gebyrtypen »{kind}« til en vare i økonomisystemet eller en gebyrkode "
            "(PUT /v1/catalogue/fees), og send ordren igen.",
        ),
    },
    # source 003: "payment-term ids changed in the shop so the mapping no longer matches"
    "payment_terms.unmapped": {
        "en": (
            "The shop's payment terms id '{term_id}' is not mapped (known ids: {known}); the shop may have "
            "renumbered its payment terms.",
            "Map '{term_id}' to a number of days (PUT /v1/account/payment-terms), then send the order again.",
        ),
        "nb": (
            "Nettbutikkens betalingsbetingelse-id «{term_id}» er ikke koblet (kjente id-er: {known}); "
            "nettbutikken kan ha nummerert om betalingsbetingelsene.",
            "Koble «{term_id}» til et antall dager (PUT /v1/account/payment-terms), og send ordren på nytt.",
        ),
        "da": (
            "Webshoppens betalingsbetingelses-id »{term_id}« er ikke mappet (kendte id'er: {known}); "
            "webshoppen kan have skiftet id'erne på betalingsbetingelserne.",
            "Map »{term_id}« til et antal dage (PUT /v1/account/payment-terms), og send ordren igen.",
        ),
    },
    # source 004: "process orders registered from"
    "order.before_process_from": {
        "en": (
            "The order was registered on {order_date}, before {process_from} (process orders registered "
            "from): it is skipped.",
            "Nothing to do, unless the date in process_orders_from is wrong.",
        ),
        "nb": (
            "Ordren ble registrert {order_date}, før {process_from} (behandle ordre registrert fra): den "
            "hoppes over.",
            "Ingenting å gjøre, med mindre datoen i process_orders_from er feil.",
        ),
        "da": (
            "Ordren blev registreret {order_date}, før {process_from} (behandl ordrer registreret fra): den "
            "springes over.",
            "Intet at gøre, medmindre datoen i process_orders_from er forkert.",
        ),
    },
    # sources 000 and 001: the customer errors of resolve_customer
    # an invoice must say where to pay (BG-16): an account without a bank account cannot
    "account.bank_account_missing": {
        "en": (
            "The account has no bank account (bank_account, iban or fik_creditor): the invoice cannot say "
            "where to pay.",
            "Fill in the seller's bank account in the account settings (PATCH /v1/account: seller.iban or "
            "seller.bank_account), then send the order again.",
        ),
        "nb": (
            "Kontoen har ikke noe bankkontonummer (bank_account, iban eller fik_creditor): fakturaen kan "
            "ikke si hvor det skal betales.",
            "Fyll inn selgerens bankkonto i kontoinnstillingene (PATCH /v1/account: seller.iban eller "
            "seller.bank_account), og send ordren på nytt.",
        ),
        "da": (
            "Kontoen har ingen bankkonto (bank_account, iban eller fik_creditor): fakturaen kan ikke "
            "oplyse, hvor der skal betales.",
            "Udfyld sælgerens bankkonto i kontoindstillingerne (PATCH /v1/account: seller.iban eller "
            "seller.bank_account), og send ordren igen.",
        ),
    },
    "customer.must_exist": {
        "en": (
            "No customer with {field} = {value} exists, and creating customers is switched off.",
            "Create the customer in the ERP first, or switch customers.create on; then send the order again.",
        ),
        "nb": (
            "Det finnes ingen kunde med {field} = {value}, og oppretting av kunder er slått av.",
            "Opprett kunden i regnskapssystemet først, eller slå på customers.create; send så ordren på nytt.",
        ),
        "da": (
            "Der findes ingen kunde med {field} = {value}, og oprettelse af kunder er slået fra.",
            "Opret kunden i økonomisystemet først, eller slå customers.create til; send så ordren igen.",
        ),
    },
    "customer.identifier_missing": {
        "en": (
            "Customers of this kind are identified by {field}, and the order has none.",
            "Make {field} required in the shop, or change how customers are identified; then send the order "
            "again.",
        ),
        "nb": (
            "Kunder av denne typen identifiseres med {field}, og ordren mangler det.",
            "Gjør {field} obligatorisk i nettbutikken, eller endre hvordan kunder identifiseres; send så "
            "ordren på nytt.",
        ),
        "da": (
            "Kunder af denne type identificeres ud fra {field}, og ordren mangler det.",
            "Gør {field} obligatorisk i webshoppen, eller ændr, hvordan kunder identificeres; send så ordren "
            "igen.",
        ),
    },
    # source 000: "Kundnummer saknas"
    "customer.number_missing": {
        "en": (
            "Customer number missing: no setting yields a customer number for this customer.",
            "Configure a customer number series (customers.number_series) or choose another number "
            "strategy; then send the order again.",
        ),
        "nb": (
            "Kundenummer mangler: ingen innstilling gir et kundenummer for denne kunden.",
            "Sett opp en nummerserie for kunder (customers.number_series) eller velg en annen "
            "nummerstrategi; send så ordren på nytt.",
        ),
        "da": (
            "Kundenummer mangler: ingen indstilling giver et kundenummer til denne kunde.",
            "Opsæt en nummerserie for kunder (customers.number_series), eller vælg en anden "
            "nummerstrategi; send så ordren igen.",
        ),
    },
    "customer.number_taken": {
        "en": (
            "Customer number {value} already belongs to another customer of this account.",
            "Send the shop's own, unique customer number, or move the number series past the numbers in use.",
        ),
        "nb": (
            "Kundenummer {value} tilhører allerede en annen kunde på denne kontoen.",
            "Send nettbutikkens eget, unike kundenummer, eller flytt nummerserien forbi numrene som er i bruk.",
        ),
        "da": (
            "Kundenummer {value} tilhører allerede en anden kunde på denne konto.",
            "Send webshoppens eget, unikke kundenummer, eller flyt nummerserien forbi de numre, der er i brug.",
        ),
    },
    # source 003: the invoice mail (app/mail/owner.py records these; {number} is the document's number,
    # {detail} the worker's or the provider's own words). English repeats what the worker records.
    "mail.failed": {
        "en": (
            "Invoice mail {number}: {detail}",
            "Check the customer's e-mail address, then resend the invoice mail.",
        ),
        "nb": (
            "Fakturaeposten {number} ble ikke sendt: {detail}",
            "Kontroller kundens e-postadresse, og send fakturaeposten på nytt.",
        ),
        "da": (
            "Fakturamailen {number} blev ikke sendt: {detail}",
            "Kontrollér kundens e-mailadresse, og send fakturamailen igen.",
        ),
    },
    "mail.unknown": {
        "en": (
            "Invoice mail {number}: {detail}",
            "Ask the customer whether the invoice arrived; resend it only if it did not.",
        ),
        "nb": (
            "Det er ukjent om fakturaeposten {number} kom fram: {detail}",
            "Spør kunden om fakturaen kom fram; send den på nytt bare hvis den ikke gjorde det.",
        ),
        "da": (
            "Det vides ikke, om fakturamailen {number} kom frem: {detail}",
            "Spørg kunden, om fakturaen er kommet frem; send den kun igen, hvis den ikke er.",
        ),
    },
    "mail.no_recipient": {
        "en": (
            "Invoice mail {number}: {detail}",
            "Add the customer's e-mail address to the order, then resend the invoice mail.",
        ),
        "nb": (
            "Fakturaeposten {number} har ingen mottaker: dokumentet har ingen e-postadresse for kjøperen "
            "(BT-58, kjøperens kontaktperson).",
            "Legg inn kundens e-postadresse på ordren, og send fakturaeposten på nytt.",
        ),
        "da": (
            "Fakturamailen {number} har ingen modtager: dokumentet har ingen e-mailadresse på køberen "
            "(BT-58, køberens kontaktperson).",
            "Tilføj kundens e-mailadresse på ordren, og send fakturamailen igen.",
        ),
    },
    "mail.no_sender": {
        "en": (
            "Invoice mail {number}: {detail}",
            "Set the account's mail sender (mail.sender), then resend the invoice mail.",
        ),
        "nb": (
            "Fakturaeposten {number} har ingen avsender: kontoen har verken mail.sender eller "
            "selgerens e-postadresse.",
            "Angi kontoens avsenderadresse (mail.sender), og send fakturaeposten på nytt.",
        ),
        "da": (
            "Fakturamailen {number} har ingen afsender: kontoen har hverken mail.sender eller "
            "sælgerens e-mailadresse.",
            "Angiv kontoens afsenderadresse (mail.sender), og send fakturamailen igen.",
        ),
    },
    "mail.document_missing": {
        "en": (
            "Invoice mail {number}: {detail}",
            "The stored document is gone: create the invoice again.",
        ),
        "nb": (
            "Fakturaeposten {number} kan ikke sendes: det lagrede dokumentet mangler.",
            "Det lagrede dokumentet er borte: lag fakturaen på nytt.",
        ),
        "da": (
            "Fakturamailen {number} kan ikke sendes: det gemte dokument mangler.",
            "Det gemte dokument er væk: dan fakturaen igen.",
        ),
    },
    "mail.document_unreadable": {
        "en": (
            "Invoice mail {number}: {detail}",
            "Check the e-mail addresses in the document and the account's mail settings, then resend the "
            "invoice mail.",
        ),
        "nb": (
            "Fakturaeposten {number} kunne ikke lages: {detail}",
            "Kontroller e-postadressene i dokumentet og kontoens e-postinnstillinger, og send fakturaeposten "
            "på nytt.",
        ),
        "da": (
            "Fakturamailen {number} kunne ikke dannes: {detail}",
            "Kontrollér e-mailadresserne i dokumentet og kontoens mailindstillinger, og send fakturamailen "
            "igen.",
        ),
    },
    "mail.prepare_failed": {
        "en": (
            "Invoice mail {number}: {detail}",
            "Nothing was sent. Resend the invoice mail; if it fails again, contact support with this "
            "message.",
        ),
        "nb": (
            "Fakturaeposten {number} kunne ikke gjøres klar, og ingenting ble sendt: {detail}",
            "Send fakturaeposten på nytt; feiler den igjen, kontakt kundestøtte med denne meldingen.",
        ),
        "da": (
            "Fakturamailen {number} kunne ikke gøres klar, og intet blev sendt: {detail}",
            "Send fakturamailen igen; fejler den igen, så kontakt support med denne besked.",
        ),
    },
    "mail.store": {
        "en": (
            "Invoice mail {number}: {detail}",
            "Nothing was sent: the document store could not be read. Resend the invoice mail when it is "
            "back.",
        ),
        "nb": (
            "Fakturaeposten {number} ble ikke sendt fordi dokumentlageret ikke kunne leses: {detail}",
            "Send fakturaeposten på nytt når dokumentlageret virker igjen.",
        ),
        "da": (
            "Fakturamailen {number} blev ikke sendt, fordi dokumentlageret ikke kunne læses: {detail}",
            "Send fakturamailen igen, når dokumentlageret virker igen.",
        ),
    },
}

#: Hint for a code outside the catalogue that came without one.
GENERIC_HINT: dict[Language, tuple[str, str]] = {
    "en": ("Correct {field} and send the order again.", "Correct the order and send it again."),
    "nb": ("Rett {field} og send ordren på nytt.", "Rett ordren og send den på nytt."),
    "da": ("Ret {field}, og send ordren igen.", "Ret ordren, og send den igen."),
}


def language_of(code: str | None) -> Language:
    """The catalogue language for an account language (``sv`` and anything else read English)."""
    if code == "nb":
        return "nb"
    return "da" if code == "da" else "en"


class _Safe(dict[str, str]):
    def __missing__(self, key: str) -> str:
        raise KeyError(key)


def _fill(template: str, params: dict[str, str]) -> str | None:
    try:
        return string.Formatter().vformat(template, (), _Safe(params))
    except (KeyError, IndexError, ValueError):
        return None


def localize(
    code: str,
    language: str | None,
    params: dict[str, str],
    message: str,
    hint: str | None,
    field: str | None,
) -> tuple[str, str | None]:
    """Message and hint of a finding in ``language``; the stored English text when a parameter is missing."""
    lang = language_of(language)
    values = dict(params)
    if "kind" in values:
        values.setdefault("fee", FEE_NAMES[lang].get(values["kind"], values["kind"]))
    if field:
        values.setdefault("field", field)
    entry = MESSAGES.get(code, {}).get(lang)
    if entry is not None:
        msg = _fill(entry[0], values)
        hnt = _fill(entry[1], values)
        if msg is not None:
            return msg, hnt if hnt is not None else hint
    with_field, without = GENERIC_HINT[lang]
    generic = with_field.format(field=field) if field else without
    if lang == "en":
        return message, hint or generic
    return message, generic
