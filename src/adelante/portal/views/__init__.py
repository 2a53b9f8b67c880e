"""The portal's pages, one module each; `common` holds what they share."""
