"""Exact money and figure values: storage as scaled integers, and how qualifiers combine."""
