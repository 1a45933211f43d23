/** The profit embeds' economics, from validated embed options (src/lib/embed-views.ts). */
import type { EmbedOptions } from "../lib/embed-views.js";
import { checkEconomics, type Economics } from "../lib/profit.js";

/** The economics an embed was given (defaults filled in by checkEmbedOptions). */
export function economicsOf(o: EmbedOptions): Economics {
  return checkEconomics({
    ltv: Number(o.ltv),
    couponCost: Number(o.couponCost),
    contactCost: Number(o.contactCost),
    acceptance: Number(o.acceptance),
  });
}
