/** Seed 001's comparators, with the symbol and the word it shows. */
export const COMPARATOR_CHOICES = [
  { id: "gte", name: ">= (gte)" },
  { id: "gt", name: "> (gt)" },
  { id: "lte", name: "<= (lte)" },
  { id: "lt", name: "< (lt)" },
  { id: "eq", name: "= (eq)" },
  { id: "bool", name: "bool" },
];
