import { registerEnumType } from 'type-graphql';

/** The order system's statuses; the raw value is the lower-case name. */
export enum OrderStatus {
  CREATED = 'CREATED',
  APPROVED = 'APPROVED',
  INVOICED = 'INVOICED',
  PROCESSING = 'PROCESSING',
  SHIPPED = 'SHIPPED',
  DELIVERED = 'DELIVERED',
  CANCELED = 'CANCELED',
  UNAVAILABLE = 'UNAVAILABLE',
}

registerEnumType(OrderStatus, { name: 'OrderStatus', description: 'Where an order is in its life cycle' });
