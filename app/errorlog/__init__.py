"""The owner's error log (source 003: "a log system that handles the well-known errors and sends the shop
owner an error message they can usually fix themselves")."""
