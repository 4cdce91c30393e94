"""The billing system's registry of лицевые счета and their links to web accounts.

A separate app from `accounts`: a web account is the portal's own (email, password, profile),
while a лицевой счёт belongs to the billing system and only arrives here by import. Linking the
two — with a verification factor, limits against guessing and an audit of every attempt — is
a job of its own, and keeping it here lets the registry change without touching sign-in.
"""
