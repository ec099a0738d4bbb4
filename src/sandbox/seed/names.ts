/** Word lists for realistic MSP sample data. */

export const FIRST_NAMES = [
  "Olivia", "Liam", "Emma", "Noah", "Ava", "Oliver", "Sophia", "Elijah", "Isabella", "James", "Mia", "Lucas",
  "Amelia", "Mason", "Harper", "Ethan", "Evelyn", "Aiden", "Abigail", "Logan", "Emily", "Jackson", "Ella",
  "Sebastian", "Grace", "Mateo", "Chloe", "Daniel", "Priya", "Wei", "Fatima", "Diego", "Aisha", "Kenji",
  "Siobhan", "Tomasz", "Ingrid", "Rahul", "Nia", "Marco",
] as const;

export const LAST_NAMES = [
  "Smith", "Johnson", "Williams", "Brown", "Jones", "Garcia", "Miller", "Davis", "Rodriguez", "Martinez",
  "Hernandez", "Lopez", "Wilson", "Anderson", "Thomas", "Taylor", "Moore", "Jackson", "Martin", "Lee",
  "Thompson", "White", "Harris", "Clark", "Lewis", "Walker", "Young", "Allen", "King", "Wright", "Patel",
  "Nguyen", "Kowalski", "O'Brien", "Schmidt", "Okafor", "Tanaka", "Rossi", "Larsen", "Chen",
] as const;

/** [name, market segment] of client companies. */
export const CLIENT_COMPANIES: readonly (readonly [string, number])[] = [
  ["Acme Dental Group", 1], ["Brightwater Legal LLP", 2], ["Cedar Ridge Manufacturing", 3], ["Dunmore Financial Advisors", 4],
  ["Evergreen Family Practice", 1], ["Foxhill Architects", 7], ["Granite Peak Construction", 7], ["Harborview Accounting", 4],
  ["Ironwood Logistics", 3], ["Juniper Veterinary Clinic", 1], ["Keystone Realty Partners", 8], ["Lakeside Montessori School", 5],
  ["Maple & Main Bakery Co.", 8], ["Northwind Traders", 8], ["Oakridge Physical Therapy", 1], ["Pinecrest Insurance Agency", 4],
  ["Quarry Lane Brewing", 3], ["Riverside Community Foundation", 6], ["Summit Orthodontics", 1], ["Tidewater Engineering", 3],
  ["Union Street Law Group", 2], ["Valley View Senior Living", 1], ["Westgate Property Management", 8], ["Yellowstone Outfitters", 8],
  ["Zephyr Marketing Studio", 8], ["Bluebird Pediatrics", 1], ["Copperline Electrical", 7], ["Driftwood Hotel & Spa", 8],
  ["Elmstead Public Library", 6], ["Falcon Freight Brokers", 3],
];

export const VENDOR_COMPANIES = ["Dell Technologies", "Ingram Micro", "Pax8", "Comcast Business"] as const;

export const CITIES: readonly (readonly [string, string, string])[] = [
  ["Denver", "CO", "80202"], ["Austin", "TX", "78701"], ["Portland", "OR", "97204"], ["Raleigh", "NC", "27601"],
  ["Columbus", "OH", "43215"], ["Madison", "WI", "53703"], ["Boise", "ID", "83702"], ["Tampa", "FL", "33602"],
  ["Richmond", "VA", "23219"], ["Sacramento", "CA", "95814"],
];

export const STREETS = ["Main St", "Oak Ave", "Market St", "Industrial Pkwy", "Commerce Dr", "Elm St", "Park Blvd", "Lake Rd"];

export const JOB_TITLES = [
  "Office Manager", "Practice Manager", "Owner", "CFO", "Operations Director", "Receptionist", "Bookkeeper",
  "Paralegal", "Dental Hygienist", "Project Engineer", "HR Coordinator", "Sales Manager", "Controller", "Principal",
];

/** [title, issueType, subIssueType]: tickets an MSP service desk really sees. */
export const TICKET_TITLES: readonly (readonly [string, number, number])[] = [
  ["VPN drops every hour", 3, 302], ["New starter laptop", 6, 601], ["Outlook keeps asking for password", 4, 401],
  ["Printer offline on 2nd floor", 7, 701], ["Scan to email not working", 7, 702], ["Password reset request", 6, 603],
  ["Leaver: disable account and archive mailbox", 6, 602], ["Teams calls dropping audio", 4, 402],
  ["Wi-Fi slow in conference room", 3, 303], ["Internet down at main office", 3, 301], ["Firewall firmware update", 3, 304],
  ["Suspicious email reported by user", 5, 501], ["Antivirus alert: threat quarantined", 5, 502],
  ["MFA prompt not arriving", 5, 503], ["Laptop will not boot", 1, 101], ["Server disk space low on C:", 1, 102],
  ["Docking station not detecting monitors", 1, 103], ["Excel crashes when opening shared workbook", 2, 201],
  ["Line-of-business app update", 2, 202], ["Windows updates failing", 2, 203], ["OneDrive not syncing", 4, 403],
  ["SharePoint permissions for new project site", 4, 403], ["Backup job failed overnight", 1, 102],
  ["Install Adobe Acrobat Pro", 2, 201], ["Shared mailbox access for reception", 4, 401],
  ["Monitor flickering", 1, 103], ["Replace failing UPS battery", 1, 102], ["Set up new multifunction printer", 7, 701],
  ["Phishing simulation follow-up", 5, 501], ["BitLocker recovery key needed", 5, 503],
  ["RMM alert: CPU above 95% for 15 minutes", 1, 102], ["RMM alert: server offline", 1, 102],
  ["Slow computer", 1, 101], ["Cannot access mapped drive", 3, 302], ["New starter: phone and email setup", 6, 601],
  ["Renew SSL certificate", 3, 304], ["Email bouncing from client domain", 4, 401], ["QuickBooks will not open company file", 2, 202],
  ["Add user to distribution list", 6, 603], ["Keyboard and mouse replacement", 1, 103],
];

export const NOTE_TEXTS = [
  "Called the user and walked through the steps; issue resolved for now.",
  "Remoted in, cleared the credential cache and rebuilt the Outlook profile.",
  "Waiting on the user to confirm a good time for a remote session.",
  "Escalated to Level II: needs firewall changes.",
  "Vendor case opened, reference number in the description.",
  "Replaced the part and tested; user confirmed everything works.",
  "Ran diagnostics, hardware passed. Reinstalled the driver.",
  "User reports the issue came back after the reboot.",
  "Scheduled onsite visit for tomorrow morning.",
  "Documented the fix in IT Glue for next time.",
];

export const TIME_NOTES = [
  "Troubleshot the reported issue remotely.",
  "Onsite: replaced hardware and tested.",
  "Reviewed logs and applied the fix.",
  "Follow-up call with the client contact.",
  "Configured the device and handed over to the user.",
  "Researched the error and tested a workaround.",
];

export const PROJECT_NAMES = [
  "Microsoft 365 Migration", "Server Refresh", "Firewall Replacement", "Office Move", "Windows 11 Rollout",
  "Backup Modernisation", "Network Upgrade", "Intune Enrollment", "SharePoint Migration", "Phone System Replacement",
  "Security Assessment",
];

export const PHASES = ["Planning", "Implementation", "Testing & Handover", "Hypercare"];

export const TASK_TITLES = [
  "Kick-off meeting with stakeholders", "Inventory current environment", "Order hardware", "Build and image devices",
  "Configure policies", "Pilot with two users", "Migrate user data", "Cutover weekend", "Update documentation",
  "Decommission old equipment", "Train office staff", "Post-go-live check-in",
];

/** [name, manufacturer, category, unitCost, unitPrice, configuration item type] */
export const PRODUCTS: readonly (readonly [string, string, number, number, number, number])[] = [
  ["Dell Latitude 5440 Laptop", "Dell", 1, 980, 1249, 2], ["Dell OptiPlex 7010 Desktop", "Dell", 1, 720, 949, 1],
  ["Dell PowerEdge R660 Server", "Dell", 1, 5400, 6999, 3], ["FortiGate 60F Firewall", "Fortinet", 3, 520, 749, 4],
  ["Meraki MS120-24P Switch", "Cisco Meraki", 3, 1100, 1499, 5], ["Ubiquiti U6 Pro Access Point", "Ubiquiti", 3, 140, 219, 6],
  ["HP LaserJet Pro MFP 4101", "HP", 4, 430, 599, 7], ["Synology DS923+ NAS", "Synology", 1, 560, 799, 8],
  ["Yealink T54W Desk Phone", "Yealink", 4, 160, 239, 9], ["Dell 27 Monitor P2723D", "Dell", 4, 260, 349, 1],
  ["APC Smart-UPS 1500", "APC", 4, 520, 699, 3], ["Microsoft 365 Business Premium (annual)", "Microsoft", 5, 264, 300, 2],
  ["Adobe Acrobat Pro (annual)", "Adobe", 2, 180, 239, 2], ["Logitech MK540 Keyboard & Mouse", "Logitech", 4, 35, 59, 1],
];

/** [name, monthly price, unit cost] */
export const SERVICES: readonly (readonly [string, number, number])[] = [
  ["Managed Workstation", 55, 18], ["Managed Server", 185, 60], ["Microsoft 365 Management", 12, 3],
  ["Backup & Disaster Recovery", 150, 70], ["Security Awareness Training", 4, 1.5], ["Help Desk Per User", 45, 15],
  ["Managed Firewall", 85, 25], ["Dark Web Monitoring", 3, 1], ["Email Security", 5, 2], ["vCIO Quarterly Review", 250, 100],
];
