"""Pages of the licence library: the public verify page (`public`) and the holder's wallet
(`wallet`)."""
