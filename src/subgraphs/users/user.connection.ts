import { ConnectionType } from '../common';
import { User } from './user.type';

export const UserConnection = ConnectionType('User', User);
