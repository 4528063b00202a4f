"""Every write about conversations (`conversations`), the handover workflow (`handover`), pickup
times (`pickup`), lotteries (`lottery`) and blocks (`blocks`)."""
