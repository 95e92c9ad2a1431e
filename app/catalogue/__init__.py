"""The account's product and fee catalogue: which of the shop's product numbers the ERP knows (and as
which item), whether they are active, their VAT rate; and where each kind of fee is booked (source 003)."""
