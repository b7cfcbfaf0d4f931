"""依申请公开: the register of requests, the 条例's clock in working days, the letters of a case."""
