import { randomUUID } from 'node:crypto'
import type { FastifyReply } from 'fastify'
import { seeOther } from './page.js'

/**
 * The orders a form names (a hidden `ordre`, drawn at each display
 * of the page), so that the same form sent twice (a double click, the back
 * button, two sends at once) is carried out once: the second send leads
 * where the first did. A page shown again is a new order.
 */
export class FormOrders {
  private readonly led = new Map<string, Promise<string | null>>()

  constructor (private readonly kept = 50) {}

  /** A new order, for the forms of one display of a page. */
  draw (): string {
    return randomUUID()
  }

  /**
   * Where `order` led (waiting for it while it is carried out), or, if it
   * was not carried out, the order claimed: `settle` says where it led
   * (null: refused, it may be sent again). An empty order is never kept.
   * `scope` keeps one user's orders from another's (a département's), and
   * one form's from another's (formScope): one display of a page draws one
   * order for all its forms.
   */
  async claim (order: string, scope = ''): Promise<{ already: string } | { settle: (location: string | null) => void }> {
    const key = order === '' ? '' : `${scope}:${order.slice(0, 36)}`
    if (key === '') return { settle: () => {} }
    // looked up and claimed in the same turn: a second send arriving meanwhile finds the claim and waits for it; a
    // claim refused (null) is looked up again, for another send waiting on it may have claimed the order first
    for (let pending = this.led.get(key); pending !== undefined; pending = this.led.get(key)) {
      const already = await pending
      if (already !== null) return { already }
      if (this.led.get(key) === pending) break
    }
    let settle: (location: string | null) => void = () => {}
    this.led.set(key, new Promise((resolve) => { settle = resolve }))
    for (const old of this.led.keys()) if (this.led.size > this.kept) this.led.delete(old)
    return { settle }
  }

  /**
   * A form's order carried out once: sent again after it was, led where it
   * went (303); otherwise `run` carries it out and tells `lead` where it
   * leads. Refused or failed (`run` returns without leading, or throws), it
   * may be sent again.
   */
  async once (order: string, scope: string, reply: FastifyReply, run: (lead: (location: string) => void) => Promise<FastifyReply>): Promise<FastifyReply> {
    const claimed = await this.claim(order, scope)
    if ('already' in claimed) return seeOther(reply, claimed.already)
    try {
      return await run(claimed.settle)
    } finally {
      claimed.settle(null)
    }
  }
}

/**
 * The scope of a form's order: its action and what it names (the
 * département, the values sent; never a password). Only a true resubmission
 * (the same form with the same values) is the same order: the same order
 * sent by another form of the page, for another département or with other
 * values, is carried out as a new one.
 */
export function formScope (action: string, names: Readonly<Record<string, string>> = {}): string {
  return JSON.stringify([action, ...Object.entries(names).sort(([a], [b]) => (a < b ? -1 : a > b ? 1 : 0))])
}
