"""The pages, one module per part of the back-office, each with its `routes`."""
