// Unity: loads a level only if the studio's signature over it checks out.
using System.Collections.Generic;
using GameCrypt;
using GameCrypt.Demo;
using UnityEngine;

public class LevelLoaderBehaviour : MonoBehaviour
{
    [Tooltip("The studio's public key (PEM), shipped with the game.")]
    [SerializeField] private TextAsset studioPublicKeyPem;
    [Tooltip("A signed level file (SignedLevel.Pack), e.g. downloaded or from a mod folder.")]
    [SerializeField] private TextAsset signedLevel;
    private string _message = "";

    private void Start()
    {
        using (PublicKey studio = PublicKey.FromPem(studioPublicKeyPem.text))
        {
            byte[] level;
            ResultCode reason;
            if (!SignedLevel.TryUnpack(studio, signedLevel.bytes, out level, out reason))
            {
                _message = "level refused: " + GameCryptException.Describe(reason);
                Debug.LogWarning(_message);
                return;
            }
            Dictionary<string, string> fields = SignedLevel.Parse(level);
            string name;
            _message = "level loaded: " + (fields.TryGetValue("name", out name) ? name : "(unnamed)");
            Debug.Log(_message);
        }
    }

    private void OnGUI()
    {
        GUILayout.BeginArea(new Rect(520, 320, 400, 100));
        GUILayout.Label(_message);
        GUILayout.EndArea();
    }
}
