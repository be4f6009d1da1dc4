import { addMonths, brusselsDate, type Initiative } from '@ocs/shared/initiative';

/**
 * The demo initiative seeded on a fresh local system: open for collection from 30 days ago for
 * twelve months, so every page and the whole signing path work at once. Fictional throughout.
 */
export function demoInitiative(id: string, now: Date): Initiative {
  const collectionStart = brusselsDate(new Date(now.getTime() - 30 * 86_400_000));
  const end = new Date(`${addMonths(collectionStart, 12)}T12:00:00Z`);
  end.setUTCDate(end.getUTCDate() - 1);
  return {
    id,
    registrationNumber: 'ECI(2026)000001',
    registrationDate: addMonths(collectionStart, -2),
    languages: ['en', 'de', 'fr'],
    content: {
      en: {
        title: 'Clean Rivers for Europe (demo initiative)',
        objectives:
          'We invite the Commission to propose legislation that sets binding targets for the ecological quality of all European rivers by 2035, with open monitoring data. This is a demonstration initiative of the open online collection system: it is not registered and collects no real support.',
      },
      de: {
        title: 'Saubere Flüsse für Europa (Demo-Initiative)',
        objectives:
          'Wir fordern die Kommission auf, Rechtsvorschriften mit verbindlichen Zielen für die ökologische Qualität aller europäischen Flüsse bis 2035 und offenen Messdaten vorzuschlagen. Dies ist eine Demonstrationsinitiative des offenen Online-Sammelsystems: Sie ist nicht registriert und sammelt keine echte Unterstützung.',
      },
      fr: {
        title: 'Des rivières propres pour l’Europe (initiative de démonstration)',
        objectives:
          'Nous invitons la Commission à proposer une législation fixant des objectifs contraignants pour la qualité écologique de tous les cours d’eau européens d’ici 2035, avec des données de suivi ouvertes. Ceci est une initiative de démonstration du système ouvert de collecte en ligne : elle n’est pas enregistrée et ne recueille aucun soutien réel.',
      },
    },
    organisers: [
      { name: 'Demo Organiser One', country: 'DE', role: 'representative' },
      { name: 'Demo Organiser Two', country: 'FR', role: 'substitute' },
      { name: 'Demo Organiser Three', country: 'PL', role: 'member' },
      { name: 'Demo Organiser Four', country: 'IT', role: 'member' },
      { name: 'Demo Organiser Five', country: 'ES', role: 'member' },
      { name: 'Demo Organiser Six', country: 'SE', role: 'member' },
      { name: 'Demo Organiser Seven', country: 'EL', role: 'member' },
    ],
    registerUrl: 'https://citizens-initiative.europa.eu/find-initiative_en',
    dataProtectionContact: { name: 'Demo Organiser One', email: 'privacy@example.org' },
    collection: { start: collectionStart, end: end.toISOString().slice(0, 10), enabled: true },
  };
}
