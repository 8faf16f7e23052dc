"""The registry: people, travel documents, visas, entries and exits, accommodation registrations, and
permits (residence, stay, permanent-residence card) with every change to a permit kept as an event."""
