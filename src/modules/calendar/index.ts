export { loadCalendar } from './calendar.service.js';
export { calendarRoutes } from './calendar.routes.js';
