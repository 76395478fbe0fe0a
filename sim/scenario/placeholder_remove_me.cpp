namespace p2psim {}
