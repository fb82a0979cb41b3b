/** Order numbers start at #1001 per coop. */
export const ORDER_NUMBER_BASE = 1000;
export const ORDER_COUNTER = 'order';
