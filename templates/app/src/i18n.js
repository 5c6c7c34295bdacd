// The shell's messages in the five languages of the booking page; each screen brings its own (its
// `messages`), looked up first. t(key, {name}) fills "{name}"; a missing key falls back to English.
export const LANGUAGES = { cs: "Čeština", en: "English", es: "Español", et: "Eesti", it: "Italiano" };

export const SHELL = {
  en: {
    skip: "Skip to content", nav: "Main", sign_in: "Sign in", email: "Email", password: "Password",
    forgot: "Forgot your password?", new_password_title: "Choose your own password", new_password: "New password",
    password_hint: "At least 12 characters, with upper and lower case letters, a number and a symbol.",
    save_password: "Save and sign in", forgot_title: "Reset your password", send_code: "Email me a code",
    code_sent: "If this email has a login, a code is on its way.", code: "Code from the email",
    reset: "Set the new password", reset_done: "Your password is changed: sign in with it.",
    back: "Back to sign-in", sign_out: "Sign out", language: "Language", loading: "Loading…",
    forbidden: "Your access level does not allow this.", no_screen: "There is no such screen, or your access level does not include it.",
    network: "The server could not be reached: check the connection and try again.",
    session_ended: "Your session has ended: please sign in again.", failed: "That did not work: {message}",
    close: "Close", cancel: "Cancel", save: "Save", signed_in_as: "{email} · level {level}",
  },
  es: {
    skip: "Ir al contenido", nav: "Principal", sign_in: "Iniciar sesión", email: "Correo electrónico",
    password: "Contraseña", forgot: "¿Olvidaste tu contraseña?", new_password_title: "Elige tu propia contraseña",
    new_password: "Nueva contraseña",
    password_hint: "Al menos 12 caracteres, con mayúsculas y minúsculas, un número y un símbolo.",
    save_password: "Guardar y entrar", forgot_title: "Restablecer la contraseña", send_code: "Envíame un código",
    code_sent: "Si este correo tiene acceso, te llegará un código.", code: "Código del correo",
    reset: "Guardar la nueva contraseña", reset_done: "Contraseña cambiada: inicia sesión con ella.",
    back: "Volver al inicio de sesión", sign_out: "Cerrar sesión", language: "Idioma", loading: "Cargando…",
    forbidden: "Tu nivel de acceso no permite esto.", no_screen: "Esta pantalla no existe o tu nivel de acceso no la incluye.",
    network: "No se pudo contactar con el servidor: revisa la conexión y vuelve a intentarlo.",
    session_ended: "Tu sesión ha terminado: vuelve a iniciar sesión.", failed: "No ha funcionado: {message}",
    close: "Cerrar", cancel: "Cancelar", save: "Guardar", signed_in_as: "{email} · nivel {level}",
  },
  it: {
    skip: "Vai al contenuto", nav: "Principale", sign_in: "Accedi", email: "Email", password: "Password",
    forgot: "Password dimenticata?", new_password_title: "Scegli la tua password", new_password: "Nuova password",
    password_hint: "Almeno 12 caratteri, con maiuscole e minuscole, un numero e un simbolo.",
    save_password: "Salva e accedi", forgot_title: "Reimposta la password", send_code: "Inviami un codice",
    code_sent: "Se questa email ha un accesso, riceverai un codice.", code: "Codice ricevuto via email",
    reset: "Imposta la nuova password", reset_done: "Password cambiata: accedi con la nuova.",
    back: "Torna all'accesso", sign_out: "Esci", language: "Lingua", loading: "Caricamento…",
    forbidden: "Il tuo livello di accesso non lo consente.", no_screen: "Questa schermata non esiste o il tuo livello di accesso non la include.",
    network: "Impossibile raggiungere il server: controlla la connessione e riprova.",
    session_ended: "La sessione è terminata: accedi di nuovo.", failed: "Non è andato a buon fine: {message}",
    close: "Chiudi", cancel: "Annulla", save: "Salva", signed_in_as: "{email} · livello {level}",
  },
  cs: {
    skip: "Přejít na obsah", nav: "Hlavní", sign_in: "Přihlásit se", email: "E-mail", password: "Heslo",
    forgot: "Zapomněli jste heslo?", new_password_title: "Zvolte si vlastní heslo", new_password: "Nové heslo",
    password_hint: "Alespoň 12 znaků, velká i malá písmena, číslice a symbol.",
    save_password: "Uložit a přihlásit", forgot_title: "Obnovení hesla", send_code: "Poslat kód e-mailem",
    code_sent: "Pokud má tento e-mail přístup, kód je na cestě.", code: "Kód z e-mailu",
    reset: "Nastavit nové heslo", reset_done: "Heslo je změněno: přihlaste se s ním.",
    back: "Zpět na přihlášení", sign_out: "Odhlásit se", language: "Jazyk", loading: "Načítání…",
    forbidden: "Vaše úroveň přístupu to nedovoluje.", no_screen: "Tato obrazovka neexistuje nebo ji vaše úroveň přístupu nezahrnuje.",
    network: "Server není dostupný: zkontrolujte připojení a zkuste to znovu.",
    session_ended: "Vaše relace skončila: přihlaste se znovu.", failed: "Nepodařilo se: {message}",
    close: "Zavřít", cancel: "Zrušit", save: "Uložit", signed_in_as: "{email} · úroveň {level}",
  },
  et: {
    skip: "Liigu sisu juurde", nav: "Peamenüü", sign_in: "Logi sisse", email: "E-post", password: "Parool",
    forgot: "Unustasid parooli?", new_password_title: "Vali oma parool", new_password: "Uus parool",
    password_hint: "Vähemalt 12 märki, suur- ja väiketähed, number ja sümbol.",
    save_password: "Salvesta ja logi sisse", forgot_title: "Parooli lähtestamine", send_code: "Saada mulle kood",
    code_sent: "Kui sellel e-postil on konto, on kood teel.", code: "Kood e-kirjast",
    reset: "Määra uus parool", reset_done: "Parool on muudetud: logi sellega sisse.",
    back: "Tagasi sisselogimisse", sign_out: "Logi välja", language: "Keel", loading: "Laadimine…",
    forbidden: "Sinu juurdepääsutase seda ei luba.", no_screen: "Sellist vaadet pole või sinu juurdepääsutase seda ei hõlma.",
    network: "Serveriga ei saanud ühendust: kontrolli ühendust ja proovi uuesti.",
    session_ended: "Seanss on lõppenud: logi uuesti sisse.", failed: "See ei õnnestunud: {message}",
    close: "Sulge", cancel: "Loobu", save: "Salvesta", signed_in_as: "{email} · tase {level}",
  },
};

/** "es-ES" -> "es"; anything not offered -> "en". */
export function language(locale) {
  const code = String(locale || "").split(/[-_]/)[0].toLowerCase();
  return code in LANGUAGES ? code : "en";
}

/** A t(key, vars) for one language over message tables, first match wins (a screen's, then the shell's). */
export function translator(lang, ...tables) {
  return (key, vars) => {
    let text;
    for (const table of tables) {
      text = (table && table[lang] && table[lang][key]) ?? text;
      if (text !== undefined) break;
    }
    if (text === undefined) {
      for (const table of tables) {
        text = table && table.en && table.en[key];
        if (text !== undefined) break;
      }
    }
    if (text === undefined) return key;
    return vars ? text.replace(/\{(\w+)\}/g, (m, name) => (name in vars ? String(vars[name]) : m)) : text;
  };
}
