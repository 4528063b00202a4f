"""Every write about conversations (`conversations`) and the handover workflow (`handover`)."""
