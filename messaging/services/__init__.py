"""Every write about conversations (`conversations`), the handover workflow (`handover`), pickup
times (`pickup`) and lotteries (`lottery`)."""
