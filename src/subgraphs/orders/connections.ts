import { ConnectionType } from '../common';
import { Order } from './order.type';
import { ProductReference } from './references.stub';
import { Review } from './review.type';

export const OrderConnection = ConnectionType('Order', Order);
export const ReviewConnection = ConnectionType('Review', Review);
export const ProductConnection = ConnectionType('Product', ProductReference);
