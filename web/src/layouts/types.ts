// What the top bar shows: notifications and the business date (the generated API types).
import type { components } from '../api/schema';

type S = components['schemas'];

export type Notification = S['Notification'];
export type BusinessDate = S['BusinessDate'];
