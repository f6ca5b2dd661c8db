int tally_base(void);
