/**
 * Offer texts carry their money amount as a token, filled in when the offer is shown or exported: the amount is the
 * campaign's offer cost, which the Retention page's slider sets, so a text written at build time never contradicts
 * it (docs/llm.md). Browser-safe: the pipeline's validation and the pages share it.
 */

/** The one place in an offer where its amount goes. */
export const OFFER_AMOUNT_TOKEN = "{amount}";

/** The offer as a customer reads it, with `amount` (already formatted, e.g. "₹50") in place of the token. */
export function fillOffer(text: string, amount: string): string {
  return text.split(OFFER_AMOUNT_TOKEN).join(amount);
}
