import type { Dayjs } from 'dayjs';

/** What antd form controls hold, before conversion to the API's JSON. */
export type FormValue = string | number | boolean | string[] | Dayjs | null | undefined;
export type CustomerFormValues = Record<string, FormValue>;
