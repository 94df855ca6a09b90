"""Privacy and care: what every text, table and page passes through before it leaves the store.

* ``redact``: e-mail addresses, phone numbers, @mentions and street addresses out of quoted text;
* ``suppress``: small-cell suppression of every aggregate (k distinct authors, coarsening, complementary);
* ``helplines``: a content warning and sexual-violence helplines for the readers' countries and languages.
"""
