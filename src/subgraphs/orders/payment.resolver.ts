import { Resolver } from 'type-graphql';
import { PROVENANCE_COLUMNS, type PaymentView } from '../../fusion';
import { TracedResolver } from '../common';
import { Payment } from './payment.type';

@Resolver(() => Payment)
export class PaymentResolver extends TracedResolver<PaymentView>(() => Payment, PROVENANCE_COLUMNS.payment) {}
