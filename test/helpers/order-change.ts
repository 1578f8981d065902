/** An `orderUpdated` / `ordersOfSeller` message as the subscription tests select it. */
export interface OrderChangeMessage {
  eventId: string;
  type: string;
  orderId: string;
  status: string | null;
  sellerIds: string[];
}
